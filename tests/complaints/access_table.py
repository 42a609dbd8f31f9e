ACCESS = []
